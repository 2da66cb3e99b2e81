import {
  AliasNode,
  DeleteQueryNode,
  InsertQueryNode,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  TableNode,
  type UnknownRow,
  UpdateQueryNode,
} from 'kysely';
import { describeError } from './log.js';

function tableName(node: OperationNode | undefined): string | null {
  if (!node) return null;
  if (TableNode.is(node)) return node.table.identifier.name;
  if (AliasNode.is(node)) return tableName(node.node);
  return null;
}

function writtenTables(node: RootOperationNode): string[] {
  if (InsertQueryNode.is(node)) return [tableName(node.into)].filter((name): name is string => name !== null);
  if (UpdateQueryNode.is(node)) return [tableName(node.table)].filter((name): name is string => name !== null);
  if (DeleteQueryNode.is(node)) return node.from.froms.map(tableName).filter((name): name is string => name !== null);
  return [];
}

/**
 * Notes every table a request's query builder writes to, so the router can tell the renderer
 * which query keys to refresh once the transaction commits. Writes must therefore go through
 * the query builder, not raw SQL.
 */
export class ChangeTracker implements KyselyPlugin {
  readonly tables = new Set<string>();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    for (const name of writtenTables(args.node)) this.tables.add(name);
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

export type TablesChangedListener = (tables: string[]) => void;

export class ChangeFeed {
  private readonly listeners = new Set<TablesChangedListener>();

  subscribe(listener: TablesChangedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(tables: Iterable<string>): void {
    const list = [...tables].sort();
    if (list.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(list);
      } catch (error) {
        console.error('table-change listener failed', describeError(error));
      }
    }
  }
}
