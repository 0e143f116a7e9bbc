// Every page's frame: its heading (focused after a move inside the console, so screen readers announce the new
// page), the document title, and optional actions beside the heading.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { navigationCount } from '../router';

export function Page({ title, actions, children }: { title: string; actions?: ComponentChildren; children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Support`;
  }, [title]);
  useEffect(() => {
    if (navigationCount() > 0) heading.current?.focus();
  }, []);
  return (
    <div class="page">
      <div class="page-head">
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {actions && <div class="page-actions">{actions}</div>}
      </div>
      {children}
    </div>
  );
}

/** What a page shows while its data loads, or when loading failed. */
export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status">
      Loading {what}…
    </p>
  );
}
