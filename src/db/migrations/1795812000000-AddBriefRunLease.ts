import { MigrationInterface, QueryRunner } from "typeorm";

export class AddBriefRunLease1795812000000 implements MigrationInterface {
    name = 'AddBriefRunLease1795812000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "brief_run" ADD "lease_expires_at" TIMESTAMP WITH TIME ZONE`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "brief_run" DROP COLUMN "lease_expires_at"`);
    }

}
