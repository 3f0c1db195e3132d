import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../../electron/core/demo/demoLoginPages.ts';

describe('escapeHtml', () => {
  it('escapes every character that can open markup or end an attribute', () => {
    expect(escapeHtml(`<script>alert("x")</script>&'`)).toBe('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;&#38;&#39;');
  });

  it('leaves ordinary names unchanged', () => {
    expect(escapeHtml('alice.smith-2 Ünal')).toBe('alice.smith-2 Ünal');
  });
});
