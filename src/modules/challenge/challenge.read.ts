import { actorStatementModel } from '../assertion/actor-statement.read';
import { ChallengeCategory } from './challenge.entity';

export const challengeModel = actorStatementModel('Challenge', 'challenge', 'challenge_id', 'challenge_category', ChallengeCategory);
