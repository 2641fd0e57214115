/** A simulated event: runs at `at`; ties run in the order they were queued. */
export interface Event {
  at: number;
  order: number;
  run: () => Promise<void>;
}

/** Events by time, then by insertion: a binary heap. */
export class EventQueue {
  private readonly heap: Event[] = [];
  private order = 0;

  push(at: number, run: () => Promise<void>): void {
    this.heap.push({ at, order: (this.order += 1), run });
    let index = this.heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(index, parent)) break;
      this.swap(index, parent);
      index = parent;
    }
  }

  pop(): Event | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (top === undefined || last === undefined || this.heap.length === 0) return top;
    this.heap[0] = last;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let next = index;
      if (left < this.heap.length && this.before(left, next)) next = left;
      if (right < this.heap.length && this.before(right, next)) next = right;
      if (next === index) return top;
      this.swap(index, next);
      index = next;
    }
  }

  private before(a: number, b: number): boolean {
    const x = this.heap[a] as Event;
    const y = this.heap[b] as Event;
    return x.at < y.at || (x.at === y.at && x.order < y.order);
  }

  private swap(a: number, b: number): void {
    [this.heap[a], this.heap[b]] = [this.heap[b] as Event, this.heap[a] as Event];
  }
}
