// The library logs through this port and knows nothing of @actions/core, so the `baf` CLI and
// the actions share every line of it: actions map it to core.info/group/annotations, the CLI
// to stderr.

export interface AnnotationProps {
  file?: string
  startLine?: number
  startColumn?: number
  title?: string
}

export interface Logger {
  info(message: string): void
  debug(message: string): void
  warning(message: string, props?: AnnotationProps): void
  error(message: string, props?: AnnotationProps): void
  group<T>(name: string, fn: () => Promise<T>): Promise<T>
}

/** Logs to a stream (stderr by default) with no colour codes; `debug` only when asked. */
export class StreamLogger implements Logger {
  constructor(
    private readonly out: NodeJS.WritableStream = process.stderr,
    private readonly verbose = false
  ) {}

  info(message: string): void {
    this.out.write(message + '\n')
  }
  debug(message: string): void {
    if (this.verbose) this.out.write(`debug: ${message}\n`)
  }
  warning(message: string, props?: AnnotationProps): void {
    this.out.write(`${where(props)}warning: ${message}\n`)
  }
  error(message: string, props?: AnnotationProps): void {
    this.out.write(`${where(props)}error: ${message}\n`)
  }
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const started = Date.now()
    this.out.write(`==> ${name}\n`)
    try {
      return await fn()
    } finally {
      this.out.write(`<== ${name} (${((Date.now() - started) / 1000).toFixed(1)}s)\n`)
    }
  }
}

function where(props?: AnnotationProps): string {
  if (!props?.file) return ''
  return `${props.file}:${props.startLine ?? 1}:${props.startColumn ?? 1}: `
}

/** Collects lines; for tests and for callers that want the log in a report. */
export class MemoryLogger implements Logger {
  readonly lines: string[] = []
  info(message: string): void {
    this.lines.push(`info: ${message}`)
  }
  debug(message: string): void {
    this.lines.push(`debug: ${message}`)
  }
  warning(message: string, props?: AnnotationProps): void {
    this.lines.push(`${where(props)}warning: ${message}`)
  }
  error(message: string, props?: AnnotationProps): void {
    this.lines.push(`${where(props)}error: ${message}`)
  }
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.lines.push(`group: ${name}`)
    return fn()
  }
}
