// The one place the views import d3 from. Everything comes through the `d3` package (the declared
// dependency) rather than its d3-* submodules, which are only transitive installs; the bundler keeps
// just what is named here.
export {
  axisBottom,
  axisLeft,
  format,
  interpolateViridis,
  line,
  rgb,
  scaleLinear,
  scaleLog,
  select,
  type ScaleLinear,
  type ScaleLogarithmic,
  type Selection,
} from 'd3';
