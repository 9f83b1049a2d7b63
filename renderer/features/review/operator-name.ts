/** The operator's and reviewer's names, remembered on this machine so a session of many people does not ask each time. */
const operatorKey = 'twin-studio-operator-name';
const reviewerKey = 'twin-studio-reviewer-name';

function read(key: string): string {
  try {
    return localStorage.getItem(key) ?? '';
  } catch {
    return '';
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value.trim());
  } catch {
    // Storage refused (private mode): the name is simply asked again next time.
  }
}

export const rememberedOperator = () => read(operatorKey);
export const rememberOperator = (name: string) => write(operatorKey, name);
export const rememberedReviewer = () => read(reviewerKey);
export const rememberReviewer = (name: string) => write(reviewerKey, name);
