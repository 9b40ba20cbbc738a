// The `tracebeam` executable (built to dist/cli.mjs). The commands live in ./main so that tests
// can run them without this file's side effect of reading process.argv.
import { main } from './main';

void main(process.argv.slice(2), process).then((code) => {
  process.exitCode = code;
});
