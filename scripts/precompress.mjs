// Compresses a site's JS, WASM and CSS once, at the highest settings (brotli
// quality 11, gzip level 9), into .br and .gz files beside them; Kith serves
// those as they are to browsers that accept them, instead of compressing on
// every request at a low setting.
//
//     node scripts/precompress.mjs target/site/pkg
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const dir = process.argv[2];
for (const name of readdirSync(dir)) {
  if (!/\.(js|wasm|css)$/.test(name)) continue;
  const file = join(dir, name);
  const source = statSync(file);
  const fresh = (out) => {
    try {
      return statSync(out).mtimeMs >= source.mtimeMs;
    } catch {
      return false;
    }
  };
  if (fresh(file + ".br") && fresh(file + ".gz")) continue;
  const body = readFileSync(file);
  const br = brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
  writeFileSync(file + ".br", br);
  writeFileSync(file + ".gz", gzipSync(body, { level: 9 }));
  console.log(`${name}: ${body.length} bytes, ${br.length} as brotli`);
}
