// ETSI EN 319 142-1 baseline levels, in order: each adds to the one before.
import { UsageError } from '../errors.js';

export const PADES_LEVELS = ['B-B', 'B-T', 'B-LT', 'B-LTA'] as const;
export type PadesLevel = (typeof PADES_LEVELS)[number];

export const levelRank = (l: PadesLevel): number => PADES_LEVELS.indexOf(l);
export const atLeast = (l: PadesLevel, min: PadesLevel): boolean => levelRank(l) >= levelRank(min);

export function parseLevel(s: string): PadesLevel {
  const l = s.toUpperCase().replace(/^PADES-/, '');
  if ((PADES_LEVELS as readonly string[]).includes(l)) return l as PadesLevel;
  throw new UsageError(`unknown level "${s}" (B-B, B-T, B-LT or B-LTA)`);
}
