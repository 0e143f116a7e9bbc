// The console's entry point: the whole app renders into #app, in place of the "Loading…" line of index.html.
import { render } from 'preact';
import { App } from './app';

const root = document.getElementById('app')!;
root.replaceChildren();
render(<App />, root);
