// The priority queue of the sparse assignment's Dijkstra searches (sparse-assignment.ts).

/** Binary min-heap of (key, column) with lazy deletion: stale entries are skipped when popped. */
export class MinHeap {
  private keys = new Float64Array(1024);
  private vals = new Int32Array(1024);
  size = 0;

  clear(): void {
    this.size = 0;
  }

  topKey(): number {
    return this.keys[0];
  }

  push(key: number, val: number): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2);
      const vals = new Int32Array(this.size * 2);
      keys.set(this.keys);
      vals.set(this.vals);
      this.keys = keys;
      this.vals = vals;
    }
    let p = this.size++;
    while (p > 0) {
      const parent = (p - 1) >> 1;
      if (this.keys[parent] <= key) break;
      this.keys[p] = this.keys[parent];
      this.vals[p] = this.vals[parent];
      p = parent;
    }
    this.keys[p] = key;
    this.vals[p] = val;
  }

  pop(): number {
    const top = this.vals[0];
    const key = this.keys[--this.size];
    const val = this.vals[this.size];
    let p = 0;
    for (;;) {
      let child = 2 * p + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.keys[child + 1] < this.keys[child]) child++;
      if (this.keys[child] >= key) break;
      this.keys[p] = this.keys[child];
      this.vals[p] = this.vals[child];
      p = child;
    }
    this.keys[p] = key;
    this.vals[p] = val;
    return top;
  }
}
