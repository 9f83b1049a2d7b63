/** The building blocks of the StudioApi contract: a call is an input and an output schema. */
import type { z } from 'zod';

export type CallSpec = { readonly input: z.ZodType; readonly output: z.ZodType };

/** Every input is a strict object, so an unexpected key is an error rather than silently carried along. */
export function defineCall<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): { input: I; output: O } {
  return { input, output };
}
