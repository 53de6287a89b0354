// Builds the live page: web/src (TypeScript, CSS, index.html) → web/dist, bundled with esbuild
// (echarts and socket.io-client come from npm and are bundled in).
// Incremental: the inputs of the last build (esbuild's metafile) are fingerprinted by path, size
// and mtime; when nothing changed the build is skipped. Safe under concurrency: each build
// writes into its own temporary folder and renames finished files into place, so a server
// never serves half a file and two builders cannot interleave one file.
// CLI (no npm needed): `tsx web/build.ts [--force]`.

import { createHash, randomBytes } from 'node:crypto';
import { copyFile, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, version as esbuildVersion, type Metafile } from 'esbuild';

const WEB_DIR = dirname(fileURLToPath(import.meta.url));
export const WEB_SRC_DIR = join(WEB_DIR, 'src');
export const WEB_DIST_DIR = join(WEB_DIR, 'dist');
const STAMP = '.build-stamp.json';

export interface BuildWebOptions {
  readonly outDir?: string;
  /** Build even when the fingerprint says nothing changed. */
  readonly force?: boolean;
}

export interface BuildWebResult {
  readonly outDir: string;
  /** False when the previous build was still up to date. */
  readonly rebuilt: boolean;
  readonly ms: number;
}

interface Stamp {
  readonly fingerprint: string;
  readonly inputs: readonly string[];
}

async function fingerprint(inputs: readonly string[]): Promise<string> {
  const h = createHash('sha256').update(`esbuild ${esbuildVersion}\n`);
  for (const f of [...inputs].sort()) {
    try {
      const s = await stat(f);
      h.update(`${f} ${s.size} ${s.mtimeMs}\n`);
    } catch {
      h.update(`${f} missing\n`);
    }
  }
  return h.digest('hex');
}

/** Every file under web/src (new files must trigger a build even before a metafile knows them). */
async function sourceFiles(dir = WEB_SRC_DIR): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sourceFiles(p)));
    else if (!e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

async function readStamp(outDir: string): Promise<Stamp | undefined> {
  try {
    return JSON.parse(await readFile(join(outDir, STAMP), 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

export async function buildWeb(opts: BuildWebOptions = {}): Promise<BuildWebResult> {
  const t0 = performance.now();
  const outDir = resolve(opts.outDir ?? WEB_DIST_DIR);
  const sources = await sourceFiles();
  const prev = await readStamp(outDir);
  if (!opts.force && prev !== undefined) {
    const inputs = [...new Set([...prev.inputs, ...sources])];
    if ((await fingerprint(inputs)) === prev.fingerprint && inputs.length === prev.inputs.length) {
      return { outDir, rebuilt: false, ms: performance.now() - t0 };
    }
  }

  // Inside outDir (same file system, so rename is atomic; a dot folder is never served).
  const tmp = join(outDir, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp, { recursive: true });
  try {
    const r = await build({
      entryPoints: { app: join(WEB_SRC_DIR, 'main.ts'), styles: join(WEB_SRC_DIR, 'styles.css') },
      outdir: tmp,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: ['chrome110', 'firefox110', 'safari16'],
      minify: true,
      sourcemap: 'linked',
      metafile: true,
      logLevel: 'silent',
      legalComments: 'none',
    });
    await copyFile(join(WEB_SRC_DIR, 'index.html'), join(tmp, 'index.html'));
    const inputs = [...new Set([...metaInputs(r.metafile), ...sources])];
    const stamp: Stamp = { fingerprint: await fingerprint(inputs), inputs };
    for (const f of await readdir(tmp)) await rename(join(tmp, f), join(outDir, f));
    // The stamp last: a crash before this point leaves a build that will be redone.
    await writeFile(join(tmp, STAMP), JSON.stringify(stamp));
    await rename(join(tmp, STAMP), join(outDir, STAMP));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return { outDir, rebuilt: true, ms: performance.now() - t0 };
}

function metaInputs(meta: Metafile): string[] {
  // Metafile paths are relative to the working directory esbuild ran in.
  return Object.keys(meta.inputs).map((p) => resolve(process.cwd(), p));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  buildWeb({ force: process.argv.includes('--force') }).then(
    (r) => process.stdout.write(`web: ${r.rebuilt ? 'built' : 'up to date'} in ${relative(process.cwd(), r.outDir) || '.'} (${Math.round(r.ms)} ms)\n`),
    (e: unknown) => {
      process.stderr.write(`web build failed: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
