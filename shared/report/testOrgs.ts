import type { ReportOrg } from '../domain/report';

/** An org as the report tests write it (the report builds paths from parentId itself). */
export const o = (
  id: string,
  name: string,
  kind: ReportOrg['kind'],
  parentId: string | null,
  headcount: number | null = null,
): ReportOrg => ({
  id,
  name,
  kind,
  parentId,
  path: [],
  headcount,
});
