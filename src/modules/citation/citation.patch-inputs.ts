import { InputType } from 'type-graphql';
import { StatementAccessPatch } from '../assertion/statement.write-inputs';

// Apart from the citation inputs of new statements, which the statement inputs import.
@InputType({ description: 'A change of who may read a citation.' })
export class CitationPatch extends StatementAccessPatch {}
