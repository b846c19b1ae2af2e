import { registerEnumType } from 'type-graphql';

export enum ReportingVerb {
  STATES = 'STATES',
  ASSESSES = 'ASSESSES',
  ESTIMATES = 'ESTIMATES',
  REPORTS = 'REPORTS',
  ALLEGES = 'ALLEGES',
  CONFIRMS = 'CONFIRMS',
  DENIES = 'DENIES',
  CONDEMNS = 'CONDEMNS',
  SPECULATES = 'SPECULATES',
}

registerEnumType(ReportingVerb, {
  name: 'ReportingVerb',
  description: 'How the source put the statement: the verb matters as much as the words.',
  valuesConfig: {
    STATES: { description: 'Says it as a fact.' },
    ASSESSES: { description: 'Gives it as an analytic assessment.' },
    ESTIMATES: { description: 'Gives a number or extent as an estimate.' },
    REPORTS: { description: 'Passes on what others say or show.' },
    ALLEGES: { description: 'Claims it without proof.' },
    CONFIRMS: { description: 'Confirms what another source said.' },
    DENIES: { description: 'Says it is not so.' },
    CONDEMNS: { description: 'Denounces it.' },
    SPECULATES: { description: 'Puts it forward as a possibility.' },
  },
});
