// `npm start` runs the product as one esbuild bundle on plain Node, not through tsx: tsx keeps its
// loader thread and the transformed modules for the process's life (≈ 15–20 MB of RSS at city
// load, bench/README.md). Dependencies stay in node_modules (packages: external). Each module's
// import.meta.url stays its source file's URL, so what the code finds beside its source (the rule
// pack, web/src, the xlsx worker, the report page) is found as under tsx, and no module takes
// itself for the main one (their `import.meta.url === argv[1]` checks stay false).
// The bench bundles its ingest process the same way (bench/child.ts), to measure what runs.
//
// CLI: tsx app/bundle.ts [entry=app/main.ts] [outfile=out/dist/heatwatch.mjs]

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

export const PRODUCT_BUNDLE = 'out/dist/heatwatch.mjs';

const sourceUrls: Plugin = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => ({
      contents: (await readFile(args.path, 'utf8')).replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};

/** Bundles `entry` (and the project files it imports) into one ES module at `outfile`. */
export async function bundle(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    sourcesContent: false, // the map points at the sources in the tree; it stays small in memory
    plugins: [sourceUrls],
    logLevel: 'warning',
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [entry = 'app/main.ts', outfile = PRODUCT_BUNDLE] = process.argv.slice(2);
  bundle(entry, outfile).catch((e: unknown) => {
    process.stderr.write(`bundle failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
