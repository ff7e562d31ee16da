/** Drains a reader: all rows, the batches' sizes and the summary it returns. */
export async function drain<T, R>(gen: AsyncGenerator<T[], R, undefined>): Promise<{ rows: T[]; batches: number[]; summary: R }> {
  const rows: T[] = [];
  const batches: number[] = [];
  let next = await gen.next();
  while (!next.done) {
    rows.push(...next.value);
    batches.push(next.value.length);
    next = await gen.next();
  }
  return { rows, batches, summary: next.value };
}
