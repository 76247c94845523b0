import type { CfnElement } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { FinancyStack } from '../../infra/stack/financy-stack';
import { type KeyAttribute, TABLES, type TableDefinition } from '../../lib/store/tables';
import { synthesizeStack, type TemplateResource } from './stack-fixture';

function keySchema(partitionKey: KeyAttribute, sortKey: KeyAttribute | undefined) {
  const schema = [{ AttributeName: partitionKey.name, KeyType: 'HASH' }];
  if (sortKey !== undefined) {
    schema.push({ AttributeName: sortKey.name, KeyType: 'RANGE' });
  }

  return schema;
}

/**
 * Returns the table resource that FinancyTables created for a definition. Two definitions may have the same
 * keys (resilience and whatsappState do), so the table is found through the construct, not by its keys.
 */
function findTable(template: Template, stack: FinancyStack, definition: TableDefinition): TemplateResource {
  const table = stack.tables.tables.get(definition.id);
  if (table === undefined) {
    throw new Error(`FinancyTables created no ${definition.id} table.`);
  }
  const logicalId = stack.getLogicalId(table.node.defaultChild as CfnElement);
  const resource = template.toJSON().Resources[logicalId] as TemplateResource | undefined;
  if (resource?.Type !== 'AWS::DynamoDB::GlobalTable') {
    throw new Error(`The template has no table ${logicalId} for ${definition.id}.`);
  }

  return resource;
}

describe('FinancyTables', () => {
  let devStack!: FinancyStack;
  const dev = synthesizeStack('dev', {}, (stack) => {
    devStack = stack;
  });
  const prod = synthesizeStack('prod');

  it('creates one table per definition', () => {
    dev.resourceCountIs('AWS::DynamoDB::GlobalTable', TABLES.length);
  });

  it.each(TABLES.map((definition) => [definition.id, definition] as const))(
    'creates the %s table with its keys and indexes',
    (_id, definition) => {
      const table = findTable(dev, devStack, definition);
      const indexes = definition.globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: keySchema(index.partitionKey, index.sortKey),
        Projection: { ProjectionType: 'ALL' },
      }));

      expect(table.Properties?.GlobalSecondaryIndexes).toEqual(indexes.length > 0 ? indexes : undefined);
      for (const key of [definition.partitionKey, definition.sortKey]) {
        if (key !== undefined) {
          expect(table.Properties?.AttributeDefinitions).toContainEqual({
            AttributeName: key.name,
            AttributeType: key.type,
          });
        }
      }
    },
  );

  it.each(TABLES.map((definition) => [definition.id, definition] as const))(
    'sets TTL on the %s table only when defined',
    (_id, definition) => {
      const table = findTable(dev, devStack, definition);
      const expected =
        definition.timeToLiveAttribute === undefined
          ? undefined
          : { AttributeName: definition.timeToLiveAttribute, Enabled: true };

      expect(table.Properties?.TimeToLiveSpecification).toEqual(expected);
    },
  );

  it('makes tables on-demand, encrypted and recoverable', () => {
    const tables = dev.findResources('AWS::DynamoDB::GlobalTable', {
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        Replicas: [
          Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
        ],
      },
    });

    expect(Object.keys(tables)).toHaveLength(TABLES.length);
  });

  it('deletes dev tables with the stack', () => {
    const tables = Object.values(dev.findResources('AWS::DynamoDB::GlobalTable')) as TemplateResource[];

    for (const table of tables) {
      expect(table.DeletionPolicy).toBe('Delete');
      const [replica] = (table.Properties?.Replicas ?? []) as { DeletionProtectionEnabled?: boolean }[];
      expect(replica?.DeletionProtectionEnabled).toBe(false);
    }
  });

  it('retains prod tables with deletion protection', () => {
    const tables = Object.values(prod.findResources('AWS::DynamoDB::GlobalTable')) as TemplateResource[];

    expect(tables).toHaveLength(TABLES.length);
    for (const table of tables) {
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
      const [replica] = (table.Properties?.Replicas ?? []) as { DeletionProtectionEnabled?: boolean }[];
      expect(replica?.DeletionProtectionEnabled).toBe(true);
    }
  });
});
