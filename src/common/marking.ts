import { registerEnumType } from 'type-graphql';

/** TLP 2.0, ordered from least to most restricted; the PostgreSQL enum keeps this order, so `<=` compares ranks. */
export const MARKINGS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED'] as const;
export type MarkingCode = (typeof MARKINGS)[number];

export enum Marking {
  CLEAR = 'CLEAR',
  GREEN = 'GREEN',
  AMBER = 'AMBER',
  AMBER_STRICT = 'AMBER_STRICT',
  RED = 'RED',
}

registerEnumType(Marking, {
  name: 'Marking',
  description: 'TLP 2.0 marking: who may read an item. Ordered from least to most restricted.',
  valuesConfig: {
    CLEAR: { description: 'TLP:CLEAR, no limit on disclosure.' },
    GREEN: { description: 'TLP:GREEN, within the community; not via publicly accessible channels.' },
    AMBER: { description: "TLP:AMBER, need-to-know within the recipient's organisation and its clients." },
    AMBER_STRICT: { description: "TLP:AMBER+STRICT, need-to-know within the recipient's organisation only." },
    RED: { description: 'TLP:RED, named recipients only; no further disclosure.' },
  },
});

/** The most restricted of some markings (CLEAR for none). */
export const highestMarking = (markings: Marking[]): Marking =>
  markings.reduce((high, m) => (MARKINGS.indexOf(m) > MARKINGS.indexOf(high) ? m : high), Marking.CLEAR);
