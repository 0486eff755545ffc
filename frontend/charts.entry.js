// Entry of the dashboard's chart bundle, built at setup by esbuild into dist/charts.js.
// vega-interpreter evaluates chart expressions without eval(), so the pages keep a
// Content-Security-Policy with no 'unsafe-eval'.
import embed from "vega-embed";
import { expressionInterpreter } from "vega-interpreter";

window.PilotageCharts = { embed, expressionInterpreter };
