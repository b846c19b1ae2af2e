import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum ImportFormat {
  DOSSIER = 'DOSSIER',
  STIX_BUNDLE = 'STIX_BUNDLE',
}

registerEnumType(ImportFormat, {
  name: 'ImportFormat',
  description: 'A format documents are imported in.',
  valuesConfig: {
    DOSSIER: { description: 'The Dossier import format, YAML or JSON: one topic and what is known of it (README, "Importing").' },
    STIX_BUNDLE: {
      description: 'A STIX 2.1 bundle (JSON): Dossier\'s own exports, and bundles of OpenCTI, MISP and other STIX tools (README, "STIX 2.1 in and out").',
    },
  },
});

@ObjectType({ simpleResolvers: true, description: 'What an import did, or would do, to the items of one table.' })
export class ImportCounts {
  @Field({ description: 'The table: topic, actor, location, source, citation, or a kind of statement.' })
  table: string;

  @Field(() => Int, { description: 'New: not stored before.' })
  created: number;

  @Field(() => Int, { description: 'Written before by the same document, and changed by it now.' })
  updated: number;

  @Field(() => Int, { description: 'Written before by the same document, and the same now: not written again.' })
  unchanged: number;

  @Field(() => Int, { description: 'Written before by the same document, which no longer has them.' })
  retracted: number;

  @Field(() => Int, { description: 'Left as they are: see `kept`.' })
  kept: number;
}

@ObjectType({ simpleResolvers: true, description: 'Where in the document, and what.' })
export class ImportNote {
  @Field({ description: 'The record and field: "capabilities[3] (kpa-manpower).citations[0].credibility".' })
  path: string;

  @Field({ description: 'What is wrong there.' })
  message: string;
}

@ObjectType({ simpleResolvers: true, description: 'An item the document describes, or no longer has, that the import leaves as it is.' })
export class KeptItem {
  @Field({ description: 'Its place in the document, or its type and id when the document no longer has it.' })
  path: string;

  @Field({ description: 'Why it is left: changed through the API since, written by someone else, the same actor as one stored ...' })
  reason: string;
}

@ObjectType({ simpleResolvers: true, description: 'An object of a STIX bundle that maps to nothing Dossier keeps: skipped, never fatal.' })
export class SkippedObject {
  @Field({ description: 'Its STIX id.' })
  id: string;

  @Field({ description: 'Its STIX type.' })
  type: string;

  @Field({ description: 'Why it is skipped.' })
  reason: string;
}

@ObjectType({ simpleResolvers: true, description: 'The outcome of an import: all of it stored, or (with problems, or as a dry run) nothing.' })
export class ImportReport {
  @Field({ description: 'Which document: "<organisation>/<name>"; importing it again changes only what it wrote.' })
  document: string;

  @Field({ description: 'Whether it was stored: false for a dry run and for a document with problems.' })
  applied: boolean;

  @Field({ description: 'Whether it was asked for as a dry run: checked and counted, nothing stored.' })
  dryRun: boolean;

  @Field(() => [ImportCounts], { description: 'Per table, in the order they are written; empty when there are problems.' })
  counts: ImportCounts[];

  @Field(() => [KeptItem], { description: 'Items the import leaves as they are, each with its reason.' })
  kept: KeptItem[];

  @Field(() => [SkippedObject], { description: 'Objects of a STIX bundle skipped, each with its reason; empty for other formats.' })
  skipped: SkippedObject[];

  @Field(() => [ImportNote], { description: 'Everything wrong with the document, each with its path; empty when it was (or would be) stored.' })
  problems: ImportNote[];
}
