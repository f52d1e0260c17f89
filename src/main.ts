import { mount } from 'svelte';
import App from './ui/App.svelte';
import './ui/app.css';
import { serviceWorkerInControl } from './ui/serviceWorker.ts';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

// the app starts once the service worker controls the page (at once from the second visit on), so what it
// fetches — the measure worker, the WASM variant it runs, the demo data, Plotly — is kept at its first fetch
await serviceWorkerInControl();

export default mount(App, { target });
