/**
 * Charts are drawn one at a time, each in a task of its own. A result arriving redraws ten charts or more; drawn
 * together they were one 1.4 s task (10,000 × 512, headless Chromium: clicks, scrolling and the progress bar
 * frozen meanwhile). In turn, the page handles input and paints between two charts, and charts higher on the page
 * (mounted first) come first.
 */
let last: Promise<unknown> = Promise.resolve();

/** Runs `draw` after every draw queued before it has settled and the event loop has had a turn. */
export function drawInTurn<T>(draw: () => Promise<T> | T): Promise<T> {
  const turn = last.then(yieldToPage).then(draw);
  last = turn.catch(() => undefined); // a failed chart does not hold up the others
  return turn;
}

function yieldToPage(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
