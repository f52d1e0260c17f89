// plotly.js-dist ships no types; this is the small part of its API the charts use.
declare module 'plotly.js-dist' {
  export interface PlotlyImageOptions {
    format: 'png' | 'svg' | 'jpeg' | 'webp';
    width?: number;
    height?: number;
    scale?: number;
  }
  export interface PlotlyStatic {
    react(root: HTMLElement, data: unknown[], layout?: unknown, config?: unknown): Promise<HTMLElement>;
    purge(root: HTMLElement): void;
    toImage(root: HTMLElement | { data: unknown[]; layout: unknown }, options: PlotlyImageOptions): Promise<string>;
    Plots: { resize(root: HTMLElement): Promise<unknown> };
    version: string;
  }
  const Plotly: PlotlyStatic;
  export default Plotly;
}
