#!/usr/bin/env tsx
// Writes config/camfw.schema.json from the field table in scripts/lib/config.ts.
import fs from 'node:fs';
import path from 'node:path';
import { jsonSchema } from './lib/config.ts';
import { main } from './lib/cli.ts';
import { paths } from './lib/paths.ts';

export const SCHEMA_FILE = path.join(paths.root, 'config', 'camfw.schema.json');

main(async () => {
  fs.writeFileSync(SCHEMA_FILE, JSON.stringify(jsonSchema(), null, 2) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
});
