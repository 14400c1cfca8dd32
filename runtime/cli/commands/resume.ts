import { UserError } from '../../errors';

export async function main(_argv: string[]): Promise<number> {
  throw new UserError('`flowspec resume` is not implemented yet');
}
