import { Confidence, Likelihood } from '../implication/judgment-scales';

// The scales of STIX 2.1 Appendix A ("Confidence Scales") that have a Dossier counterpart. STIX `confidence` is an
// integer 0-100; each scale gives the value to write for one of its terms. Source reliability has no STIX scale.

/** Admiralty Credibility (A.5): information credibility 1-5; 6 ("truth cannot be judged") has no value. */
export const CREDIBILITY_CONFIDENCE: Record<number, number | undefined> = { 1: 90, 2: 70, 3: 50, 4: 30, 5: 10, 6: undefined };

/** Low/Med/High (A.2), for the analytic confidence of a judgment. */
export const ANALYTIC_CONFIDENCE: Record<Confidence, number> = {
  [Confidence.LOW]: 15,
  [Confidence.MODERATE]: 50,
  [Confidence.HIGH]: 85,
};

/** DNI scale (A.7), for an ICD 203 likelihood. A judgment's `confidence` is its analytic confidence, so this is informative. */
export const LIKELIHOOD_CONFIDENCE: Record<Likelihood, number> = {
  [Likelihood.ALMOST_NO_CHANCE]: 5,
  [Likelihood.VERY_UNLIKELY]: 15,
  [Likelihood.UNLIKELY]: 30,
  [Likelihood.ROUGHLY_EVEN_CHANCE]: 50,
  [Likelihood.LIKELY]: 70,
  [Likelihood.VERY_LIKELY]: 85,
  [Likelihood.ALMOST_CERTAIN]: 95,
};

/**
 * The Admiralty credibility a STIX `confidence` stands for, by the ranges of Appendix A.5 (80-100 is 1 ... 0-19 is 5);
 * 6 ("truth cannot be judged") when there is none. The only mapping STIX defines onto a Dossier scale.
 */
export function credibilityOfConfidence(confidence: unknown): number {
  if (typeof confidence !== 'number' || !Number.isInteger(confidence) || confidence < 0 || confidence > 100) return 6;
  return confidence >= 80 ? 1 : confidence >= 60 ? 2 : confidence >= 40 ? 3 : confidence >= 20 ? 4 : 5;
}
