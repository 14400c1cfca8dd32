// Placeholder: implemented with the analyzer (server/analysis).
import { UserError } from '../../errors';

export async function main(_argv: string[]): Promise<number> {
  throw new UserError('`flowspec graph` is not implemented yet');
}
