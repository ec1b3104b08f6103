DROP TABLE access_clearances;
DELETE FROM outbox_messages WHERE kind = 'access_list';
