// Placeholder until benchmarks exist; later issues replace this.
console.log('no benchmarks yet (filled by later issues)');
