import { Match, type Template } from 'aws-cdk-lib/assertions';
import { type KeyAttribute, TABLES, type TableDefinition } from '../../lib/store/tables';
import { synthesizeStack, type TemplateResource } from './stack-fixture';

function keySchema(partitionKey: KeyAttribute, sortKey: KeyAttribute | undefined) {
  const schema = [{ AttributeName: partitionKey.name, KeyType: 'HASH' }];
  if (sortKey !== undefined) {
    schema.push({ AttributeName: sortKey.name, KeyType: 'RANGE' });
  }

  return schema;
}

function findTable(template: Template, definition: TableDefinition): TemplateResource {
  const tables = Object.values(template.findResources('AWS::DynamoDB::GlobalTable')) as TemplateResource[];
  const expected = JSON.stringify(keySchema(definition.partitionKey, definition.sortKey));
  const matches = tables.filter((table) => JSON.stringify(table.Properties?.KeySchema) === expected);
  if (matches.length !== 1) {
    throw new Error(`Expected one table with key schema ${expected}, found ${matches.length}.`);
  }

  return matches[0]!;
}

describe('FinancyTables', () => {
  const dev = synthesizeStack('dev');
  const prod = synthesizeStack('prod');

  it('creates one table per definition', () => {
    dev.resourceCountIs('AWS::DynamoDB::GlobalTable', TABLES.length);
  });

  it.each(TABLES.map((definition) => [definition.id, definition] as const))(
    'creates the %s table with its keys and indexes',
    (_id, definition) => {
      const table = findTable(dev, definition);
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
      const table = findTable(dev, definition);
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
