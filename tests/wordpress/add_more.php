<?php
/**
 * Adds new content to the seeded blog, for the re-crawl test: a few new posts with comments
 * and pings, and new comments (some of them replies) under a few old posts.
 *
 * Usage: php add_more.php [posts=5] [old_posts=4]
 * Prints JSON: {"posts": [new post ids], "comments": [new approved comment ids]}.
 */

require __DIR__ . '/bootstrap.php';
require __DIR__ . '/content.php';

mt_srand( 20240601 ); // A different seed from seed.php: new text, same determinism.
kses_remove_filters();

$new_posts = (int) ( $argv[1] ?? 5 );
$old_posts = (int) ( $argv[2] ?? 4 );
$before    = array_map( 'intval', get_comments( array( 'status' => 'approve', 'fields' => 'ids' ) ) );
$authors   = array_map( static fn( $u ) => (int) $u->ID, get_users( array( 'role' => 'author', 'orderby' => 'ID' ) ) );
$cats      = array_map( 'intval', get_terms( array( 'taxonomy' => 'category', 'fields' => 'ids', 'hide_empty' => false ) ) );
$published = get_posts( array( 'post_type' => 'post', 'post_status' => 'publish', 'numberposts' => -1, 'orderby' => 'date', 'order' => 'ASC' ) );
$existing  = array_map( static fn( $p ) => (int) $p->ID, $published );
$last_ts   = strtotime( end( $published )->post_date_gmt . ' UTC' );

wp_defer_comment_counting( true );
$added = array();
for ( $i = 0; $i < $new_posts; $i++ ) {
	$ts      = $last_ts + ( $i + 1 ) * 86400 * 3;
	$id      = blogcorpus_insert_post( 1000 + $i, $ts, $authors, $cats, $existing );
	$added[] = $id;
	blogcorpus_add_thread( $id, $ts, mt_rand( 3, 30 ), $authors, get_post_meta( $id, 'blogcorpus_lang', true ) );
	blogcorpus_add_pings( $id, $ts, $existing );
}
// Old posts with open comments get new comments, as old posts do when a discussion revives.
$open = array_values( array_filter( $published, static fn( $p ) => 'open' === $p->comment_status ) );
for ( $k = 0; $k < $old_posts && $open; $k++ ) {
	$post = $open[ ( $k * 37 ) % count( $open ) ];
	blogcorpus_add_thread( $post->ID, $last_ts + 86400, mt_rand( 2, 6 ), $authors, get_post_meta( $post->ID, 'blogcorpus_lang', true ) );
}
wp_defer_comment_counting( false );

$after = array_map( 'intval', get_comments( array( 'status' => 'approve', 'fields' => 'ids' ) ) );
echo wp_json_encode( array( 'posts' => $added, 'comments' => array_values( array_diff( $after, $before ) ) ) ), "\n";
