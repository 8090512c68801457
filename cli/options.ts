// Option parsers shared by the commands (commander argParsers): a bad value is unreadable input (exit 2)
// and is named in one sentence before the command runs.
import { BACKEND_CHOICES, type BackendChoice } from '../engine/backend.ts';
import { CliError } from './context.ts';

/** Help text of every --backend option. */
export const BACKEND_HELP = BACKEND_CHOICES.join(' | ');

export function backendChoice(value: string): BackendChoice {
  if (!(BACKEND_CHOICES as readonly string[]).includes(value))
    throw new CliError(`--backend must be one of ${BACKEND_CHOICES.join(', ')}; it is "${value}".`, 2);
  return value as BackendChoice;
}

/** --backend of commands whose engine code reads tensors synchronously (export, explain): no WebGPU. */
export const CPU_BACKEND_HELP = BACKEND_CHOICES.filter((c) => c !== 'webgpu').join(' | ');

export function cpuBackendChoice(command: string) {
  return (value: string): BackendChoice => {
    if (value === 'webgpu')
      throw new CliError(
        `${command} runs on a CPU backend; --backend webgpu is for train, evaluate and predict.`,
        2,
      );
    if (!(BACKEND_CHOICES as readonly string[]).includes(value))
      throw new CliError(
        `--backend must be one of ${CPU_BACKEND_HELP.split(' | ').join(', ')}; it is "${value}".`,
        2,
      );
    return value as BackendChoice;
  };
}

/** A parser for a whole number of at least `min`. */
export function positiveInt(flag: string, min = 1) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value) || n < min)
      throw new CliError(`${flag} must be a whole number of at least ${min}; it is "${value}".`, 2);
    return n;
  };
}

/** A parser for any whole number (seeds). */
export function wholeNumber(flag: string) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value)) throw new CliError(`${flag} must be a whole number; it is "${value}".`, 2);
    return Number(value);
  };
}
