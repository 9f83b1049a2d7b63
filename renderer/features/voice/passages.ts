/**
 * Texts to read aloud, so that a person reaches a minute or more of natural speech without having
 * to invent it: conversational, varied in rhythm, with questions and lists, the way people talk.
 */

export type Passage = { id: string; title: string; text: string };

export const passages: readonly Passage[] = [
  {
    id: 'introduction',
    title: 'Introducing yourself',
    text: `Hello, and thanks for taking the time. Let me tell you a little about how I work.

Most of my day is spent listening. People come to me with a question, and often the question they ask first is not the one they really need answered. So I slow down, I ask what they are trying to get done, and then we find the simplest way there.

I like plain words. If I can explain something without jargon, I will. And if I can't, I will tell you what the jargon means before I use it.

When something goes wrong, I would rather hear about it early than late. A small problem on Monday is much easier to fix than a big one on Friday. So please, don't wait until you are sure. Just tell me what you see.

Outside of work, I cook for friends on the weekend, I walk whenever the weather allows, and I am slowly working through a stack of history books that never seems to get any shorter.`,
  },
  {
    id: 'explaining',
    title: 'Explaining a plan',
    text: `Here is what I suggest we do next, in three steps.

First, we look at where we are today. Not where we hoped to be, but where we actually are. That means the numbers, and also the things the numbers don't show: how the team feels, what customers keep asking for, what keeps breaking.

Second, we pick one thing to improve this quarter. Just one. It is tempting to fix everything at once, but in my experience that is how nothing gets fixed at all.

Third, we agree on how we will know it worked. If we can't measure it, we at least write down what "better" will look like, so that in three months we can look back honestly.

Does that sound reasonable? I am happy to change the order, or to add a step if I have missed something important. What matters most to me is that we all leave this conversation knowing exactly what happens on Monday morning.`,
  },
  {
    id: 'story',
    title: 'Telling a short story',
    text: `A few years ago I missed a train, and it turned out to be one of the luckiest mornings of my life.

I was running late, as usual, and I reached the platform just as the doors closed. The next train was forty minutes away. So I sat down on a bench, annoyed, and started talking to the woman next to me, who had missed it too.

She was a retired engineer. She had built bridges on three continents, and she had opinions about everything: coffee, football, the right way to fold a map. By the time our train arrived, I had learned more about patience than in the whole year before.

Her advice was simple. Do the work in front of you carefully. Be kind to the people who check your work. And never, ever run for a train. There is always another one.

I still think about that morning whenever I feel rushed. And yes, I still miss trains now and then. But I don't run anymore.`,
  },
  {
    id: 'questions',
    title: 'Answering questions',
    text: `That's a good question, and honestly, the answer depends on what you need.

If you want something quick, the short version is this: start small, try it with real people, and change it as soon as you learn something new. Most plans don't survive the first week, and that is fine. The point of a plan is to start, not to be right.

If you want the longer version, we should talk about the trade-offs. Faster usually means less polished. Cheaper usually means more work later. And the perfect option, the one that is fast, cheap and polished, mostly exists in presentations.

What would I do in your place? I would ask the people who will use it every day. Not their managers, not the experts, the people themselves. They will tell you what matters in about five minutes, if you let them talk.

And if I don't know the answer to something, I will say so, and then I will find out. That is a promise.`,
  },
];

export function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
