import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { connectApp } from './lib/api.ts';
import { AppState } from './lib/AppState.svelte.ts';
import { Router } from './lib/Router.svelte.ts';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

mount(App, { target, props: { app: new AppState(connectApp()), router: new Router() } });
