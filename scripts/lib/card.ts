import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModelId } from './cameras.ts';
import type { Artifact, CardInput } from './card-parts.ts';
import { cardRecipes } from './card-parts.ts';
import { redactConfig } from './config.ts';
import { sha256File } from './hash.ts';
import { writeLicenses } from './licenses.ts';
import { withLock } from './lock.ts';
import { step } from './log.ts';
import { CardTree, manifestOf } from './manifest.ts';
import { paths } from './paths.ts';

type CardLayout = (input: CardInput, tree: CardTree, out: string) => Promise<Artifact[]>;

/** A camera's card layout: overlays/<model>/card.ts, which exports `card`. */
async function cardLayout(model: ModelId): Promise<CardLayout> {
  const { card } = (await import(pathToFileURL(path.join(paths.overlays, model, 'card.ts')).href)) as { card?: CardLayout };
  if (typeof card !== 'function') throw new Error(`overlays/${model}/card.ts must export \`card\`, the camera's card layout`);
  return card;
}

/** output/<model>/build.json: what was built, for users and for the tests. */
export interface CardRecord {
  model: string;
  version: string;
  revision: string;
  sourceDateEpoch: number;
  toolchain: string;
  artifacts: string[];
}

export function readCardRecord(model: string): CardRecord {
  const file = path.join(paths.model(model), 'build.json');
  if (!fs.existsSync(file)) throw new Error(`no ${model} card in ${paths.model(model)}: run \`npm run build:${model}\` first`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as CardRecord;
}

/**
 * Assembles the card for `input.camera` under output/<model>/: the artifacts, SHA256SUMS,
 * manifest.json (every file on the card and where it came from), licenses/ and build.json.
 */
export async function buildCard(input: CardInput): Promise<Artifact[]> {
  return withLock(`${paths.model(input.camera.id)}.lock`, `the ${input.camera.id} card`, () => writeCard(input));
}

async function writeCard(input: CardInput): Promise<Artifact[]> {
  const out = paths.model(input.camera.id);
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const tree = new CardTree(path.join(out, 'tree'));
  const artifacts = await step(`${input.camera.id}: card images`, () =>
    cardLayout(input.camera.id).then((layout) => layout(input, tree, out)),
  );
  const sums = await Promise.all(artifacts.map(async (a) => `${await sha256File(a.file)}  ${path.basename(a.file)}`));
  fs.writeFileSync(path.join(out, 'SHA256SUMS'), sums.join('\n') + '\n');
  const manifest = {
    model: input.camera.id,
    version: input.info.version,
    revision: input.info.revision,
    toolchain: input.tc.id,
    config: redactConfig(input.config),
    files: await manifestOf(tree),
  };
  fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  await writeLicenses(path.join(out, 'licenses'), cardRecipes(input.camera).map((n) => input.built.get(n)!.recipe), input.tc);
  const record: CardRecord = {
    model: input.camera.id,
    version: input.info.version,
    revision: input.info.revision,
    sourceDateEpoch: input.info.sourceDateEpoch,
    toolchain: input.tc.id,
    artifacts: artifacts.map((a) => path.basename(a.file)),
  };
  fs.writeFileSync(path.join(out, 'build.json'), JSON.stringify(record, null, 2) + '\n');
  return artifacts;
}
