/**
 * Runs one submission in its own process and kills that process (SIGKILL, no clean-up) at a chosen
 * moment: `uploaded` (files up, no twin requested) or `create-answered` (the service created the twin,
 * the answer is not yet stored). Its argument is a JSON StackOptions plus `draftId` and `crashAt`.
 */
import { submissionStack, type StackOptions } from './submission-stack';

const input = JSON.parse(process.argv[2] ?? '{}') as StackOptions & { draftId: string; crashAt: 'uploaded' | 'create-answered' };
const stack = await submissionStack({
  ...input,
  checkpoint: (_draftId, point) => {
    if (point === input.crashAt) {
      process.stdout.write(`crashing at ${point}\n`);
      process.kill(process.pid, 'SIGKILL');
    }
  },
});
await stack.queue.init();
await stack.queue.start(input.draftId);
// The checkpoint ends the process; if it never comes, say so and fail.
await stack
  .waitFor(input.draftId, (submission) => submission.state === 'failed' || submission.state === 'done', 60_000)
  .then((submission) => {
    process.stdout.write(`never crashed: ${JSON.stringify(submission)}\n`);
    process.exit(3);
  });
