/** Whether an element is on screen or near it, through one IntersectionObserver shared by every chart (ChartCard). */
/** Drawn a little before they scroll in, so a chart is usually ready when it appears. */
const MARGIN = '400px 0px';

let observer: IntersectionObserver | null = null;
const listeners = new Map<Element, (inView: boolean) => void>();

/** Calls `onChange` with whether `el` is within MARGIN of the viewport, now and on every change; returns the unsubscribe. */
export function observeInView(el: Element, onChange: (inView: boolean) => void): () => void {
  if (typeof IntersectionObserver === 'undefined') {
    onChange(true); // no observer (an old browser): every chart is drawn as before
    return () => undefined;
  }
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) listeners.get(entry.target)?.(entry.isIntersecting);
    },
    { rootMargin: MARGIN },
  );
  listeners.set(el, onChange);
  observer.observe(el);
  return () => {
    observer?.unobserve(el);
    listeners.delete(el);
  };
}
