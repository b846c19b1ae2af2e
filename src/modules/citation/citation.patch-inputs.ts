import { InputType } from 'type-graphql';
import { AccessPatch } from '../release/access.inputs';

@InputType({ description: 'A change of who may read a citation.' })
export class CitationPatch extends AccessPatch {}
