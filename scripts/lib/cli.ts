import type { ParseArgsConfig } from 'node:util';
import type { ToolchainChoice } from '../../toolchain/index.ts';
import { log } from './log.ts';

/** Runs a command-line entry point: errors end as one clear message and exit 1. */
export function main(fn: () => Promise<void>): void {
  fn().catch((e: unknown) => {
    const err = e as Error;
    log.error(process.env.CAMFW_VERBOSE ? (err.stack ?? String(err)) : (err.message ?? String(err)));
    process.exit(1);
  });
}

/** The toolchain options shared by every command that needs a toolchain. */
export const TOOLCHAIN_OPTIONS = {
  toolchain: { type: 'string' },
  'toolchain-archive': { type: 'string' },
  'toolchain-sha256': { type: 'string' },
} satisfies NonNullable<ParseArgsConfig['options']>;

export const TOOLCHAIN_HELP = `  --toolchain ID               musl-armv5te (default), hisiv100 (YI's SDK) or sn986 (Xiaofang's
                               SDK); a vendor toolchain is used by default when configured
  --toolchain-archive URL|PATH archive of the vendor toolchain (or CAMFW_HISIV100_TOOLCHAIN /
                               CAMFW_SN986_TOOLCHAIN in the environment)
  --toolchain-sha256 HEX       its sha256 (or CAMFW_HISIV100_TOOLCHAIN_SHA256 /
                               CAMFW_SN986_TOOLCHAIN_SHA256)`;

export function toolchainChoice(values: { toolchain?: string; 'toolchain-archive'?: string; 'toolchain-sha256'?: string }): ToolchainChoice {
  const archive = values['toolchain-archive'];
  const sha = values['toolchain-sha256'];
  if (!!archive !== !!sha) throw new Error('--toolchain-archive and --toolchain-sha256 go together');
  return { id: values.toolchain, vendorSource: archive ? { source: archive, sha256: sha!.toLowerCase() } : undefined };
}
