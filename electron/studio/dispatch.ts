/**
 * The one door into the main process for either transport: checks the call name, parses the
 * argument with the contract's schema (a bad argument never reaches a service), runs the handler
 * and turns every failure into a WireError. Outputs are parsed too, which strips any field the
 * contract does not name before it can leave the process.
 */
import { calls, isCallName, type StudioHandlers } from '../../shared/contract';
import { StudioError, describeIssues, type WireResult } from '../../shared/errors';
import type { Logger } from '../services/log';

export type Dispatch = (name: unknown, input: unknown) => Promise<WireResult<unknown>>;

export function createDispatcher(handlers: StudioHandlers, log: Logger): Dispatch {
  return async (name, input) => {
    if (!isCallName(name)) {
      return { ok: false, error: { code: 'UNKNOWN_CALL', message: `There is no call named "${String(name)}".` } };
    }
    const spec = calls[name];
    const parsedInput = spec.input.safeParse(input ?? {});
    if (!parsedInput.success) {
      const { message, fields } = describeIssues(parsedInput.error.issues);
      log.warn('rejected argument', { call: name, message });
      return { ok: false, error: { code: 'BAD_REQUEST', message: `Invalid argument for ${name}: ${message}`, fields } };
    }
    try {
      const handler = handlers[name] as (input: unknown) => Promise<unknown>;
      const output = await handler(parsedInput.data);
      const parsedOutput = spec.output.safeParse(output);
      if (!parsedOutput.success) {
        log.error('handler returned a value outside the contract', { call: name, ...describeIssues(parsedOutput.error.issues) });
        return { ok: false, error: { code: 'INTERNAL', message: `The studio produced an invalid answer to ${name}.` } };
      }
      return { ok: true, value: parsedOutput.data };
    } catch (error) {
      if (error instanceof StudioError) {
        log.warn('call failed', { call: name, code: error.code, message: error.message });
        return { ok: false, error: error.toWire() };
      }
      log.error('call crashed', { call: name, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      return { ok: false, error: { code: 'INTERNAL', message: `Something went wrong in ${name}. The details are in the log.` } };
    }
  };
}
