import type { PumpingConfig } from '@checkpoint/core';

/**
 * The pumping thresholds of the bench's tenant. The default guards stay on and do all their work
 * on every send (burst counters and conversion tallies in the send's one script); only the limits
 * are out of reach, so that the bench's synthetic traffic — sequential numbers in a few blocks,
 * from one address, whose codes are mostly never entered — is measured rather than refused.
 */
export const BENCH_PUMPING: Partial<PumpingConfig> = {
  prefixBurst: { limit: 10_000_000, windowSeconds: 600 },
  networkBurst: { limit: 10_000_000, windowSeconds: 300 },
  conversionPrefixMinSends: 1_000_000,
  conversionNetworkMinSends: 1_000_000,
  conversionCountryMinSends: 10_000_000,
};
