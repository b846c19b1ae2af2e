import { actorStatementModel } from '../assertion/actor-statement.read';

export const challengeModel = actorStatementModel('Challenge', 'challenge', 'challenge_id', 'challenge_category');
