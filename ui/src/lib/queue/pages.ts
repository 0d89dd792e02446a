// The rows of the queue the window has fetched, by page: a page is asked for once per search
// (a new search starts a new cache), and an answer to an older search is dropped.

export const PAGE_SIZE = 100;

export type PageAnswer<R> = { total: number; more?: boolean; offset: number; rows: R[] };

export class RowPages<R> {
  private pages = new Map<number, R[]>();
  private asked = new Set<number>();
  total = 0;
  /** More match than Rust counts: `total` is its cap. */
  more = false;

  constructor(private fetchPage: (offset: number, limit: number) => Promise<PageAnswer<R>>) {}

  /** The row at `index`, if its page has arrived. */
  row(index: number): R | undefined {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  /**
   * Fetches the pages not yet asked for; resolves true when any arrived (and the total with
   * it). A failed page may be asked again.
   */
  async ensure(pageNumbers: number[]): Promise<boolean> {
    const missing = pageNumbers.filter((p) => !this.asked.has(p));
    missing.forEach((p) => this.asked.add(p));
    const answers = await Promise.all(
      missing.map(async (p) => {
        try {
          return [p, await this.fetchPage(p * PAGE_SIZE, PAGE_SIZE)] as const;
        } catch (e) {
          this.asked.delete(p);
          throw e;
        }
      }),
    );
    for (const [p, answer] of answers) {
      this.pages.set(p, answer.rows);
      this.total = answer.total;
      this.more = answer.more ?? false;
    }
    return answers.length > 0;
  }
}
