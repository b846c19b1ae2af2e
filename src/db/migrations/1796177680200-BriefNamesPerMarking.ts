import { MigrationInterface, QueryRunner } from "typeorm";

export class BriefNamesPerMarking1796177680200 implements MigrationInterface {
    name = 'BriefNamesPerMarking1796177680200'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "brief_definition" DROP CONSTRAINT "brief_definition_owner_name"`);
        await queryRunner.query(`ALTER TABLE "brief_definition" ADD CONSTRAINT "brief_definition_owner_marking_name" UNIQUE ("owner_principal", "marking", "name")`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "brief_definition" DROP CONSTRAINT "brief_definition_owner_marking_name"`);
        await queryRunner.query(`ALTER TABLE "brief_definition" ADD CONSTRAINT "brief_definition_owner_name" UNIQUE ("name", "owner_principal")`);
    }

}
