import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { parseSchemaSdl } from '../../../electron/core/graphql/parseSchemaSdl.ts';
import { rankSchemaMatches, searchSchema } from '../../../electron/core/graphql/searchSchema.ts';

const schema = buildSchema(`
  "Mentions a review only in its description."
  type Comment { body: String! }
  "A review of a pull request."
  type Review { "The text of the review." body: String!, state: ReviewState! }
  type ReviewComment { body: String! }
  type PullRequest { "Reviews left on this pull request." reviews: [Review!]!, title: String! }
  enum ReviewState { APPROVED CHANGES_REQUESTED }
  type Query { "Look up a pull request." pullRequest(number: Int!): PullRequest }
`);

describe('searchSchema', () => {
  it('ranks an exact name first, then name prefixes, then words in names, then words in descriptions', () => {
    const coordinates = rankSchemaMatches(schema, 'review', 20).map((match) => match.coordinate);
    expect(coordinates).toEqual([
      'Review', // exact
      'ReviewState', // prefix (types before fields of the same rank, shorter first)
      'ReviewComment',
      'PullRequest.reviews', // prefix: "reviews" starts with "review"
      'Comment', // word in description only
      'Review.body',
    ]);
  });

  it('matches multi-word queries against camel-case names', () => {
    expect(rankSchemaMatches(schema, 'pull request', 3).map((match) => match.coordinate)).toEqual(['PullRequest', 'Query.pullRequest', 'Review']);
  });

  it('prints one minified line per hit with signature and description', () => {
    expect(searchSchema(schema, 'pullRequest', 2)).toBe(
      'type PullRequest\nQuery.pullRequest(number: Int!): PullRequest # Look up a pull request.',
    );
  });

  it('says so when nothing matches', () => {
    expect(searchSchema(schema, 'zebra')).toBe('No types or fields match "zebra".');
  });

  it('bounds the number of hits by the limit', () => {
    expect(rankSchemaMatches(schema, 'body', 1)).toHaveLength(1);
    expect(rankSchemaMatches(schema, 'body', 1000).length).toBeLessThanOrEqual(50);
  });

  it('finds the type for words in GitHub\'s schema', () => {
    const file = join(import.meta.dirname, '../../../node_modules/@octokit/graphql-schema/schema.graphql');
    const github = parseSchemaSdl(readFileSync(file, 'utf8'), file).schema;
    expect(rankSchemaMatches(github, 'pull request review', 1)[0]?.coordinate).toBe('PullRequestReview');
    expect(rankSchemaMatches(github, 'stargazers', 5).map((match) => match.coordinate)).toContain('Repository.stargazers');
  });
});
