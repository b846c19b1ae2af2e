import { connectionOf } from '../common/pagination';
import { Actor } from './actor/actor.entity';
import { Capability } from './capability/capability.entity';
import { Challenge } from './challenge/challenge.entity';
import { Citation } from './citation/citation.entity';
import { Event } from './event/event.entity';
import { Implication } from './implication/implication.entity';
import { ActorRelation } from './relation/relation.entity';
import { Source } from './source/source.entity';
import { Topic } from './topic/topic.entity';

// One connection type per node type, declared once so every field that lists them shares it.
export const TopicConnection = connectionOf(Topic, 'Topic');
export const ActorConnection = connectionOf(Actor, 'Actor');
export const SourceConnection = connectionOf(Source, 'Source');
export const CitationConnection = connectionOf(Citation, 'Citation');
export const CapabilityConnection = connectionOf(Capability, 'Capability');
export const ChallengeConnection = connectionOf(Challenge, 'Challenge');
export const ImplicationConnection = connectionOf(Implication, 'Implication');
export const EventConnection = connectionOf(Event, 'Event');
export const RelationConnection = connectionOf(ActorRelation, 'ActorRelation');
