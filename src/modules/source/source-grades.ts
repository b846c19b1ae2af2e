import { registerEnumType } from 'type-graphql';

/** Admiralty code source reliability. It grades the SOURCE; citations grade the information (credibility). */
export enum Reliability {
  A = 'A',
  B = 'B',
  C = 'C',
  D = 'D',
  E = 'E',
  F = 'F',
}

registerEnumType(Reliability, {
  name: 'Reliability',
  description:
    'NATO Admiralty code reliability of a source (STANAG 2511). It grades the source, never one piece of information. F means "cannot be judged", not "average".',
  valuesConfig: {
    A: { description: 'Completely reliable: no doubt of authenticity, trustworthiness or competency.' },
    B: { description: 'Usually reliable: minor doubt; valid information most of the time.' },
    C: { description: 'Fairly reliable: doubt, but has provided valid information in the past.' },
    D: { description: 'Not usually reliable: significant doubt.' },
    E: { description: 'Unreliable: a history of invalid information.' },
    F: { description: 'Reliability cannot be judged: no basis for evaluating the source.' },
  },
});
