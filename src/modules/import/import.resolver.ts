import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, Info, Mutation, Resolver } from 'type-graphql';
import { badUserInput } from '../../common/errors';
import { byResponseKey } from '../../read/response-shape';
import { commentArg } from '../../registry/item-mutations';
import type { Context } from '../../server/context';
import { Role } from '../identity/role';
import { importStixBundle } from '../stix/stix-import';
import { importDocument, importerOf } from './import.service';
import { ImportFormat, ImportReport } from './import.types';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

@Resolver()
export class ImportResolver {
  @Authorized(Role.ANALYST)
  @Mutation(() => ImportReport, {
    description:
      'Import a document (ANALYST): all of it, or nothing when it has problems (each named with its path). Importing the same document again changes only the items it wrote that nobody changed since, and retracts those it no longer has; items of others are never touched. Items are written as you, within your clearance and organisation.',
  })
  async importData(
    @Arg('format', () => ImportFormat, { defaultValue: ImportFormat.DOSSIER }) format: ImportFormat,
    @Arg('document', { description: 'The document’s text.' }) document: string,
    @Arg('name', () => String, {
      nullable: true,
      description:
        'Which of your documents this is (letters, digits, . _ -): the key of its topic when left out ("stix" for a STIX bundle without a Dossier topic). Importing under a new name adds rather than replaces.',
    })
    name: string | null,
    @Arg('dryRun', { defaultValue: false, description: 'Check and count, store nothing.' }) dryRun: boolean,
    @commentArg() _comment: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    if (name !== null && !NAME.test(name)) throw badUserInput('name', 'letters, digits and . _ - only, at most 128, starting with a letter or digit');
    const options = { name: name ?? undefined, dryRun };
    const importer = importerOf(ctx.viewer);
    const report =
      format === ImportFormat.STIX_BUNDLE
        ? await importStixBundle(ctx.dataSource, importer, document, options)
        : await importDocument(ctx.dataSource, importer, document, options);
    return byResponseKey(info, report);
  }
}
