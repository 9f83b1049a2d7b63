/** Vite's URL imports used by the capture code: a bundled worklet script and a stylesheet, both served from 'self'. */
declare module '*?worker&url' {
  const url: string;
  export default url;
}
