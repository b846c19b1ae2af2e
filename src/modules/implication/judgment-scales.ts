import { registerEnumType } from 'type-graphql';

/** ICD 203 likelihood terms, declared from least to most likely: the PostgreSQL enum keeps the order. */
export enum Likelihood {
  ALMOST_NO_CHANCE = 'ALMOST_NO_CHANCE',
  VERY_UNLIKELY = 'VERY_UNLIKELY',
  UNLIKELY = 'UNLIKELY',
  ROUGHLY_EVEN_CHANCE = 'ROUGHLY_EVEN_CHANCE',
  LIKELY = 'LIKELY',
  VERY_LIKELY = 'VERY_LIKELY',
  ALMOST_CERTAIN = 'ALMOST_CERTAIN',
}

registerEnumType(Likelihood, {
  name: 'Likelihood',
  description: 'ICD 203 likelihood term of an analytic judgment, least to most likely.',
  valuesConfig: {
    ALMOST_NO_CHANCE: { description: 'Almost no chance (remote): 1-5%.' },
    VERY_UNLIKELY: { description: 'Very unlikely (highly improbable): 5-20%.' },
    UNLIKELY: { description: 'Unlikely (improbable): 20-45%.' },
    ROUGHLY_EVEN_CHANCE: { description: 'Roughly even chance (roughly even odds): 45-55%.' },
    LIKELY: { description: 'Likely (probable): 55-80%.' },
    VERY_LIKELY: { description: 'Very likely (highly probable): 80-95%.' },
    ALMOST_CERTAIN: { description: 'Almost certain (nearly certain): 95-99%.' },
  },
});

export enum Confidence {
  LOW = 'LOW',
  MODERATE = 'MODERATE',
  HIGH = 'HIGH',
}

registerEnumType(Confidence, {
  name: 'Confidence',
  description: 'Analytic confidence in a judgment: how good the information and reasoning behind it are.',
  valuesConfig: {
    LOW: { description: 'Questionable or fragmented information, or significant concerns about sources.' },
    MODERATE: { description: 'Credibly sourced and plausible, but not of high enough quality or corroboration.' },
    HIGH: { description: 'High-quality information from multiple sources; a solid judgment, though not a certainty.' },
  },
});

export enum ImplicationScope {
  CONFLICT = 'CONFLICT',
  BILATERAL = 'BILATERAL',
  REGIONAL = 'REGIONAL',
  GLOBAL = 'GLOBAL',
  DOMESTIC = 'DOMESTIC',
}

registerEnumType(ImplicationScope, {
  name: 'ImplicationScope',
  description: 'Where a judgment bears: on the conflict itself, a pair of states, a region, the world, or home politics.',
});

export enum TimeHorizon {
  IMMEDIATE = 'IMMEDIATE',
  SHORT_TERM = 'SHORT_TERM',
  MEDIUM_TERM = 'MEDIUM_TERM',
  LONG_TERM = 'LONG_TERM',
}

registerEnumType(TimeHorizon, {
  name: 'TimeHorizon',
  description: 'When a judgment bears: now, within months, within a few years, or beyond.',
  valuesConfig: {
    IMMEDIATE: { description: 'Now, within weeks.' },
    SHORT_TERM: { description: 'Within months.' },
    MEDIUM_TERM: { description: 'Within one to three years.' },
    LONG_TERM: { description: 'Beyond three years.' },
  },
});
