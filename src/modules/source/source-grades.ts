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

export enum SourceKind {
  INTELLIGENCE_ASSESSMENT = 'INTELLIGENCE_ASSESSMENT',
  GOVERNMENT_STATEMENT = 'GOVERNMENT_STATEMENT',
  OFFICIAL_STATEMENT = 'OFFICIAL_STATEMENT',
  MEDIA_REPORT = 'MEDIA_REPORT',
  SOCIAL_MEDIA = 'SOCIAL_MEDIA',
  ANALYSIS_ARTICLE = 'ANALYSIS_ARTICLE',
  OTHER = 'OTHER',
}

registerEnumType(SourceKind, {
  name: 'SourceKind',
  description: 'What sort of document or channel a source is.',
  valuesConfig: {
    INTELLIGENCE_ASSESSMENT: { description: 'A published intelligence update or assessment.' },
    GOVERNMENT_STATEMENT: { description: 'A statement by a government or ministry.' },
    OFFICIAL_STATEMENT: { description: 'A statement by an international organisation or its officials.' },
    MEDIA_REPORT: { description: 'A news or specialist media report.' },
    SOCIAL_MEDIA: { description: 'Material circulating on social media or messaging platforms.' },
    ANALYSIS_ARTICLE: { description: 'An analytic article or commentary.' },
    OTHER: { description: 'Anything else.' },
  },
});
