<?php
/**
 * Builds the test blog through WordPress's own API, deterministically (seeded RNG).
 *
 * Usage: php seed.php   (with the environment run.sh exports)
 *
 * The blog has BLOGCORPUS_WP_POSTS published posts (150 unless told) over five years by two
 * authors, categories and tags, threaded comments up to depth 5 with pagination on, anonymous
 * commenters, pingbacks and trackbacks, posts with comments closed, links in bodies and comments,
 * French and German texts, plus things a crawler must NOT report: a draft, a private post,
 * unapproved and spam comments.
 */

define( 'BLOGCORPUS_INSTALLING', true );
require __DIR__ . '/bootstrap.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require __DIR__ . '/content.php';

$started = microtime( true );
mt_srand( 20240501 );

$result = wp_install( 'Carnets de terrain', 'admin', 'admin@blog.invalid', true, '', 'blogcorpus-admin-pass' );
$admin  = (int) $result['user_id'];
wp_set_current_user( $admin );
kses_remove_filters(); // The seed writes trusted HTML, as an editor with unfiltered_html would.

// wp_install adds a sample post, page and comment; this blog starts from its own content only.
foreach ( get_posts( array( 'post_type' => array( 'post', 'page' ), 'post_status' => 'any', 'numberposts' => -1 ) ) as $sample ) {
	wp_delete_post( $sample->ID, true );
}

foreach ( array(
	'blogdescription'        => 'Notes, lectures et débats — a field notebook',
	'timezone_string'        => 'Europe/Paris',
	'gmt_offset'             => '',
	'date_format'            => 'F j, Y',
	'time_format'            => 'g:i a',
	'posts_per_page'         => 10,
	'thread_comments'        => 1,
	'thread_comments_depth'  => 5,
	'page_comments'          => 1,
	'comments_per_page'      => 20,
	'default_comments_page'  => 'newest',
	'comment_order'          => 'asc',
	'show_avatars'           => 1,
	'default_pingback_flag'  => 0,
	'default_ping_status'    => 'open',
	'blog_public'            => 1,
	'permalink_structure'    => '/%year%/%monthnum%/%day%/%postname%/',
	'template'               => 'twentytwentyone',
	'stylesheet'             => 'twentytwentyone',
) as $name => $value ) {
	update_option( $name, $value );
}
// Rules are rebuilt by the first request, which registers the taxonomies under this structure.
delete_option( 'rewrite_rules' );

$authors = array();
foreach ( array(
	array( 'claire', 'Claire', 'Dubois', 'Claire Dubois' ),
	array( 'martin', 'Martin', 'Weber', 'Martin Weber' ),
) as $a ) {
	$authors[] = wp_insert_user(
		array(
			'user_login'   => $a[0],
			'user_pass'    => 'blogcorpus-' . $a[0],
			'user_email'   => $a[0] . '@blog.invalid',
			'first_name'   => $a[1],
			'last_name'    => $a[2],
			'display_name' => $a[3],
			'nickname'     => $a[3],
			'role'         => 'author',
		)
	);
}

$category_ids = array();
foreach ( blogcorpus_categories() as $name ) {
	$term           = wp_insert_term( $name, 'category' );
	$category_ids[] = (int) $term['term_id'];
}

wp_defer_term_counting( true );
wp_defer_comment_counting( true );

$post_count = (int) ( getenv( 'BLOGCORPUS_WP_POSTS' ) ?: 150 );
$stats      = blogcorpus_seed_posts( $post_count, $authors, $category_ids, 1546300800, 1703980800 );

// Things that exist in the database but are not published: no crawler may report them.
$hidden = array( 'draft' => 'Brouillon : ne pas publier', 'private' => 'A private note to self' );
foreach ( $hidden as $status => $title ) {
	wp_insert_post(
		array(
			'post_title'    => $title,
			'post_content'  => '<p>This text must never reach a corpus.</p>',
			'post_status'   => $status,
			'post_author'   => $authors[0],
			'post_date_gmt' => '2023-06-01 10:00:00',
			'post_date'     => get_date_from_gmt( '2023-06-01 10:00:00' ),
		)
	);
}
wp_insert_post(
	array(
		'post_type'     => 'page',
		'post_title'    => 'About',
		'post_name'     => 'about',
		'post_status'   => 'publish',
		'post_author'   => $authors[0],
		'post_content'  => "<p>Claire and Martin write here about fieldwork, books and the cities they live in.</p>\n<p>Write to us at <a href=\"https://mail.example.org/contact\">our contact page</a>.</p>",
		'post_date_gmt' => '2019-01-01 09:00:00',
		'post_date'     => get_date_from_gmt( '2019-01-01 09:00:00' ),
	)
);

wp_defer_term_counting( false );
wp_defer_comment_counting( false );

fprintf(
	STDERR,
	"seeded %d posts, %d approved comments (%d pingbacks, %d trackbacks), %d hidden comments in %.1f s\n",
	$stats['posts'],
	$stats['approved'],
	$stats['pingback'],
	$stats['trackback'],
	$stats['hidden'],
	microtime( true ) - $started
);
